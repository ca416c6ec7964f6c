// Why an import was refused: the file, the line (or record) and the reason, as a value and as a thrown signal.
export type ImportRejection = {
  readonly file: string;
  /** 1-based line in the file; for XML the line of the record's opening tag; absent when the file as a whole is wrong. */
  readonly line?: number;
  readonly field?: string;
  readonly reason: string;
};

/** Thrown inside an importer and caught at its edge, where it becomes an `ImportRejection` value. */
export class RejectedImport extends Error {
  readonly rejection: ImportRejection;
  constructor(rejection: ImportRejection) {
    super(formatRejection(rejection));
    this.rejection = rejection;
  }
}

export const reject = (file: string, line: number | undefined, reason: string, field?: string): never => {
  throw new RejectedImport({
    file,
    ...(line === undefined ? {} : { line }),
    ...(field === undefined ? {} : { field }),
    reason,
  });
};

/** "sdn.csv:7380: expected 12 fields, found 1" — the form compilers use, so editors can jump to it. */
export const formatRejection = (rejection: ImportRejection): string =>
  `${rejection.file}${rejection.line === undefined ? '' : `:${rejection.line}`}: ${
    rejection.field === undefined ? '' : `${rejection.field}: `
  }${rejection.reason}`;
