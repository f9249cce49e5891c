/**
 * The one error type the public API throws. Each carries a stable `code`, like diagnostics do,
 * so callers and tests branch on codes, not on message text.
 */
export class HazardRulesError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HazardRulesError';
  }
}

/** A pack that does not validate; `diagnostics` says where and what. */
export class PackError extends HazardRulesError {
  constructor(
    readonly file: string,
    readonly diagnostics: import('./pack/diagnostics.js').Diagnostic[],
  ) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(
      first?.code ?? 'invalid-pack',
      `${file}: ${diagnostics.filter((d) => d.severity === 'error').length} error(s)` +
        (first ? `; first: ${first.line}:${first.col} ${first.code} ${first.message.en}` : ''),
    );
    this.name = 'PackError';
  }
}
