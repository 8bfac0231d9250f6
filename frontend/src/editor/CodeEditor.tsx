import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { lineEdits } from './edits';
import { monaco } from './monaco-setup';
import type { EditorFocus } from './focus';

export type { EditorFocus } from './focus';

type MonacoEditor = Parameters<OnMount>[0];

/** Shortcuts the editor hands to the IDE (Monaco would otherwise take them itself). */
export type EditorCommand = 'ask' | 'quick-open' | 'save';

type Props = {
  path: string;
  value: string;
  onChange: (path: string, value: string) => void;
  onFocusChange: (focus: EditorFocus) => void;
  onCommand: (command: EditorCommand) => void;
};

/**
 * Puts `value` into the editor's model by editing only the lines that differ (an accepted AI
 * change, a restored version): one undo step, and the cursor and view stay where they were.
 * @monaco-editor/react would replace the whole text and move the cursor to the end.
 */
function sync(editor: MonacoEditor, value: string): void {
  const model = editor.getModel();
  if (!model || model.getValue() === value) return;
  const edits = lineEdits(model.getValue(), value).map((e) => ({
    range: { startLineNumber: e.startLine, startColumn: e.startColumn, endLineNumber: e.endLine, endColumn: e.endColumn },
    text: e.text,
  }));
  editor.pushUndoStop();
  editor.executeEdits('patchpad', edits);
  // Different line endings inside one file are the one thing line edits cannot express.
  if (model.getValue() !== value) editor.executeEdits('patchpad', [{ range: model.getFullModelRange(), text: value }]);
  editor.pushUndoStop();
}

/** One Monaco instance; one model per path, so each file keeps its own undo history. */
export default function CodeEditor({ path, value, onChange, onFocusChange, onCommand }: Props) {
  const pathRef = useRef(path);
  pathRef.current = path;
  const commandRef = useRef(onCommand);
  commandRef.current = onCommand;
  const editorRef = useRef<MonacoEditor | null>(null);

  // After the library has switched models for `path` (a child's effects run first).
  useEffect(() => {
    if (editorRef.current) sync(editorRef.current, value);
  }, [path, value]);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    sync(editor, value);
    const report = () => {
      const model = editor.getModel();
      const position = editor.getPosition();
      if (!model || !position) return;
      const sel = editor.getSelection();
      const hasSelection = sel !== null && !sel.isEmpty();
      onFocusChange({
        path: pathRef.current,
        cursor: { line: position.lineNumber, column: position.column },
        selection: hasSelection ? { startLine: sel.startLineNumber, endLine: sel.endLineNumber, text: model.getValueInRange(sel) } : null,
      });
    };
    editor.onDidChangeCursorSelection(report);
    editor.onDidChangeModel(report);
    const { KeyMod, KeyCode } = monaco;
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyK, () => (report(), commandRef.current('ask')));
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyP, () => commandRef.current('quick-open'));
    editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyS, () => commandRef.current('save'));
  };

  return (
    <Editor
      path={path}
      defaultValue={value}
      theme="vs-dark"
      onMount={onMount}
      onChange={(v) => onChange(pathRef.current, v ?? '')}
      options={{ minimap: { enabled: false }, fontSize: 13, tabSize: 2, automaticLayout: true, scrollBeyondLastLine: false }}
      loading={<div className="skeleton editor-skeleton" aria-label="Loading the editor" />}
    />
  );
}
