import { ConfigError, loadConfig, type Day15Config } from '../config/index.js';

/** The configuration, or one clear message on stderr and exit 1: what every entry point does at start. */
export function loadConfigOrExit(): Day15Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nFix config/.env or the environment (see config/.env.example).\n`);
    process.exit(1);
  }
}
