import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import './monaco-setup';

type DiffEditorInstance = Parameters<DiffOnMount>[0];

/** Something drawn above a line of the modified side, in the space a view zone keeps free. */
export type DiffBar = { key: string; line: number; content: ReactNode };

type Props = {
  path: string;
  original: string;
  modified: string;
  /** Inline (one column, room for per-hunk bars) or side by side. */
  inline?: boolean;
  bars?: DiffBar[];
};

/**
 * Monaco's diff editor, read-only. Bars (per-hunk Accept / Reject) sit in view zones of the
 * modified side; the zones only reserve the room and report where they are, and the bars are
 * React elements laid over the editor there, so clicks reach them and not the editor.
 */
export default function DiffView({ path, original, modified, inline = false, bars = [] }: Props) {
  const editorRef = useRef<DiffEditorInstance | null>(null);
  const zones = useRef<string[]>([]);
  const [mounted, setMounted] = useState(false);
  const [tops, setTops] = useState<Record<string, number>>({});
  const layout = bars.map((b) => `${b.key}@${b.line}`).join(',');

  useEffect(() => {
    const editor = editorRef.current?.getModifiedEditor();
    if (!editor) return;
    // The diff is computed asynchronously; place the zones once it is (and again when bars move).
    const place = () =>
      editor.changeViewZones((acc) => {
        for (const id of zones.current) acc.removeZone(id);
        zones.current = bars.map((b) =>
          acc.addZone({
            afterLineNumber: b.line,
            heightInPx: 34,
            ordinal: 0,
            domNode: document.createElement('div'),
            onDomNodeTop: (top) => setTops((t) => (t[b.key] === top ? t : { ...t, [b.key]: top })),
          }),
        );
      });
    place();
    const sub = editorRef.current!.onDidUpdateDiff(place);
    return () => sub.dispose();
    // `layout` stands for the bars' positions; the bars' content renders on its own.
  }, [layout, mounted, modified]);

  // The library disposes kept models badly on unmount ("TextModel got disposed before
  // DiffEditorWidget model got reset"): keep them, and dispose them once the editor is gone.
  useEffect(
    () => () => {
      const models = editorRef.current?.getModel();
      setTimeout(() => {
        models?.original.dispose();
        models?.modified.dispose();
      }, 0);
    },
    [],
  );

  return (
    <div className="diff-host">
      <DiffEditor
        original={original}
        modified={modified}
        originalModelPath={`diff-original:///${path}`}
        modifiedModelPath={`diff-modified:///${path}`}
        keepCurrentOriginalModel
        keepCurrentModifiedModel
        theme="vs-dark"
        onMount={(editor) => {
          editorRef.current = editor;
          setMounted(true);
        }}
        options={{
          readOnly: true,
          renderSideBySide: !inline,
          minimap: { enabled: false },
          fontSize: 13,
          automaticLayout: true,
          scrollBeyondLastLine: false,
          renderOverviewRuler: false,
        }}
        loading={<div className="skeleton editor-skeleton" aria-label="Loading the diff" />}
      />
      {bars.map((b) =>
        tops[b.key] === undefined ? null : (
          <div key={b.key} className="hunk-bar-slot" style={{ top: `${tops[b.key]}px` }}>
            {b.content}
          </div>
        ),
      )}
    </div>
  );
}
