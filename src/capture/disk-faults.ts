/**
 * Disk faults for reliability tests, injected into the drain's writes: set
 * EXECUTION_CINEMA_TEST_FAULT in the recorded program's environment. Unset (always, outside
 * tests), `diskFaults` returns null and the drain writes as it always does.
 *
 *   enospc:N   every write after the first N bytes fails with ENOSPC (a full disk)
 *   erofs      every write fails with EROFS (the folder became read-only)
 *   slow:MS    every chunk the drain takes waits MS milliseconds first (a slow disk: lossless
 *              producers wait for it, flight and sampled producers drop and count)
 */
export const FAULT_ENV = 'EXECUTION_CINEMA_TEST_FAULT';

export interface DiskFaults {
  /** Called before writing `bytes`: throws the injected error. */
  beforeWrite(bytes: number): void;
  /** Called before the drain takes a chunk: waits (slow disk). */
  beforeDrain(): void;
}

const none = (): void => {};

function fsError(code: string, message: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: ${message}, write`) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

export function diskFaults(spec: string | undefined): DiskFaults | null {
  if (!spec) return null;
  const [kind, arg] = spec.split(':');
  const n = Number(arg);
  if (kind === 'enospc' && Number.isFinite(n)) {
    let written = 0;
    return {
      beforeDrain: none,
      beforeWrite(bytes) {
        if (written + bytes > n) throw fsError('ENOSPC', 'no space left on device');
        written += bytes;
      },
    };
  }
  if (kind === 'erofs') {
    return {
      beforeDrain: none,
      beforeWrite() {
        throw fsError('EROFS', 'read-only file system');
      },
    };
  }
  if (kind === 'slow' && Number.isFinite(n)) {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    return { beforeWrite: none, beforeDrain: () => void Atomics.wait(cell, 0, 0, n) };
  }
  return null;
}
