/** Where the user is in the editor: what "ask about the selection" sends. */
export type EditorFocus = {
  path: string;
  cursor: { line: number; column: number };
  selection: { startLine: number; endLine: number; text: string } | null;
};
