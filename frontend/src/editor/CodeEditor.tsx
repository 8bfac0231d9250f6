import Editor, { type OnMount } from '@monaco-editor/react';
import { useRef } from 'react';
import './monaco-setup';

export type EditorFocus = {
  path: string;
  cursor: { line: number; column: number };
  selection: { startLine: number; endLine: number; text: string } | null;
};

type Props = {
  path: string;
  value: string;
  onChange: (path: string, value: string) => void;
  onFocusChange: (focus: EditorFocus) => void;
};

/** One Monaco instance; one model per path, so each file keeps its own undo history. */
export function CodeEditor({ path, value, onChange, onFocusChange }: Props) {
  const pathRef = useRef(path);
  pathRef.current = path;

  const onMount: OnMount = (editor) => {
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
  };

  return (
    <Editor
      path={path}
      value={value}
      theme="vs-dark"
      onMount={onMount}
      onChange={(v) => onChange(pathRef.current, v ?? '')}
      options={{ minimap: { enabled: false }, fontSize: 13, tabSize: 2, automaticLayout: true, scrollBeyondLastLine: false }}
      loading={<div className="muted pad">Loading editor…</div>}
    />
  );
}
