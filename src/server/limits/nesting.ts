import { Lexer, Source, TokenKind } from 'graphql';
import { isGraphQLError } from '../../errors.js';
import { limitError } from './limit-error.js';

const OPEN = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Refuses a document nested deeper than `maxDepth` brackets before it is parsed: graphql-js parses
 * selections and list/object values recursively, so `[[[[…]]]]` 10,000 deep overflows the stack
 * (HTTP 500) instead of failing cleanly. The lexer is iterative. A document of more than
 * `maxTokens` tokens is refused here too (MAX_TOKENS_EXCEEDED), as early and with the same count as
 * armor's token-limited parser, which stays as the parse-time backstop.
 */
export function assertNesting(body: string, maxDepth: number, maxTokens: number): void {
  const lexer = new Lexer(new Source(body));
  let depth = 0;
  try {
    for (let count = 0; ; count++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return;
      if (count >= maxTokens) throw limitError('MAX_TOKENS_EXCEEDED', `Token limit of ${maxTokens} exceeded.`, 'MAX_TOKENS', maxTokens);
      if (OPEN.has(token.kind)) {
        depth++;
        if (depth > maxDepth) throw limitError('MAX_PARSER_DEPTH_EXCEEDED', `Document nested deeper than ${maxDepth} brackets.`, 'MAX_PARSER_DEPTH', maxDepth);
      } else if (CLOSE.has(token.kind)) depth--;
    }
  } catch (error) {
    // A syntax error is the parser's to report, with its location.
    if (isGraphQLError(error) && typeof error.extensions.setting === 'string') throw error;
  }
}
