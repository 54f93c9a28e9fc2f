/** An error that knows its HTTP answer: status, machine-readable code, any extra body fields and headers. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor({
    status,
    code,
    message,
    body = {},
    headers = {},
  }: {
    status: number;
    code: string;
    message?: string;
    body?: Record<string, unknown>;
    headers?: Record<string, string>;
  }) {
    super(message ?? code);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.body = body;
    this.headers = headers;
  }
}
