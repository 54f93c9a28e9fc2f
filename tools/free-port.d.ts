/**
 * A free TCP port on loopback, found by letting the OS pick one. It is only free until someone else binds
 * it: where the process that will listen can bind port 0 itself and report the port, prefer that.
 */
export function freePort(): Promise<number>;
