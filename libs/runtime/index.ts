export { runMain, type MainContext, type MainHandle, type RunMainOptions } from './run-main.js';
export { loadConfigOrExit } from './load-config-or-exit.js';
