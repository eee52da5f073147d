import type { AppErrorShape, ErrorKind } from './types';

/** An error with a kind, so that it survives a transport as a value. */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly detail?: string;
  constructor(kind: ErrorKind, message: string, detail?: string) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.detail = detail;
  }
  toShape(): AppErrorShape {
    return this.detail === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, detail: this.detail };
  }
  static from(shape: AppErrorShape): AppError {
    return new AppError(shape.kind, shape.message, shape.detail);
  }
}

/** Turn anything thrown into an error value that can cross a boundary. */
export function toErrorShape(err: unknown): AppErrorShape {
  if (err instanceof AppError) return err.toShape();
  if (isErrorShape(err)) return err;
  if (err instanceof Error) {
    if (err.name === 'AbortError') return { kind: 'cancelled', message: 'Cancelled' };
    return { kind: 'internal', message: err.message, detail: err.stack };
  }
  return { kind: 'internal', message: String(err) };
}

export function isErrorShape(x: unknown): x is AppErrorShape {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as AppErrorShape).kind === 'string' &&
    typeof (x as AppErrorShape).message === 'string'
  );
}

export const badRequest = (message: string) => new AppError('bad-request', message);
export const notFound = (message: string) => new AppError('not-found', message);
export const cancelled = () => new AppError('cancelled', 'Cancelled');
