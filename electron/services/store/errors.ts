// The store's typed failures: what a user or operator can cause, each with a code and a message naming the file.
export type StoreErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'invalid-key'
  | 'wrong-key'
  | 'truncated'
  | 'corrupt'
  | 'too-new'
  | 'bad-migrations'
  | 'key-slots'
  | 'unknown-user'
  | 'wrong-passphrase'
  | 'weak-passphrase'
  | 'busy';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly path: string | null;
  constructor(code: StoreErrorCode, message: string, path: string | null = null) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.path = path;
  }
}
