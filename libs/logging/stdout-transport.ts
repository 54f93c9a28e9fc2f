import sonicBoom from 'sonic-boom';
import TransportStream from 'winston-transport';

// sonic-boom is CommonJS whose named exports Node's ESM loader cannot see; its module object holds them.
const { SonicBoom } = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;

// winston keeps the formatted line under this symbol (triple-beam's MESSAGE).
const message = Symbol.for('message');

let stdout: SonicBoom | undefined;

/**
 * One sonic-boom on fd 1 for the whole process. process.stdout writes every line with its own synchronous
 * system call when stdout is a file or a pipe (as under the orchestrator), which cost the receiver and the
 * consumer a fifth of their CPU with one line per event; sonic-boom writes asynchronously and gathers the
 * lines written meanwhile into the next write. What is still buffered is written synchronously at exit.
 */
function sharedStdout(): SonicBoom {
  if (stdout) return stdout;
  const sink = new SonicBoom({ fd: 1 });
  // A closed stdout (the reader went away) must not crash the process that logs: the lines are dropped.
  sink.on('error', () => undefined);
  process.once('exit', () => {
    try {
      sink.flushSync();
    } catch {
      // Nothing more can be done with log lines at exit.
    }
  });
  stdout = sink;
  return sink;
}

/** A winston transport writing each line to the process's shared, buffered stdout. */
export class StdoutTransport extends TransportStream {
  private readonly out = sharedStdout();

  override log(info: Record<string | symbol, unknown>, done: () => void): void {
    this.out.write(`${String(info[message])}\n`);
    done();
  }
}
