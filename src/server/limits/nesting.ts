import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { limitError } from './limit-error.js';

const OPEN = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSE = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Refuses a document nested deeper than `maxDepth` brackets before it is parsed: graphql-js parses
 * selections and list/object values recursively, so `[[[[…]]]]` 10,000 deep overflows the stack
 * (HTTP 500) instead of failing cleanly. The lexer is iterative. Scanning stops after `maxTokens`
 * tokens: the token limit (checked by the parser that runs next) refuses those documents.
 */
export function assertNesting(body: string, maxDepth: number, maxTokens: number): void {
  const lexer = new Lexer(new Source(body));
  let depth = 0;
  try {
    for (let count = 0; count <= maxTokens; count++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return;
      if (OPEN.has(token.kind)) {
        depth++;
        if (depth > maxDepth) throw limitError('MAX_PARSER_DEPTH_EXCEEDED', `Document nested deeper than ${maxDepth} brackets.`, 'MAX_PARSER_DEPTH', maxDepth);
      } else if (CLOSE.has(token.kind)) depth--;
    }
  } catch (error) {
    // A syntax error is the parser's to report, with its location.
    if (error instanceof GraphQLError && error.extensions.code === 'MAX_PARSER_DEPTH_EXCEEDED') throw error;
  }
}
