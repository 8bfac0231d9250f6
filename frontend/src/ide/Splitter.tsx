import { useCallback, useState, type PointerEvent } from 'react';

/** A pane width the user drags (kept per browser), clamped to [min, max]. */
export function usePaneWidth(key: string, initial: number, min: number, max: number) {
  const [width, setWidth] = useState(() => {
    const saved = Number(localStorage.getItem(`pane:${key}`));
    return Number.isFinite(saved) && saved >= min && saved <= max ? saved : initial;
  });
  const set = useCallback(
    (w: number) => {
      const clamped = Math.round(Math.min(max, Math.max(min, w)));
      setWidth(clamped);
      localStorage.setItem(`pane:${key}`, String(clamped));
    },
    [key, min, max],
  );
  return [width, set] as const;
}

/**
 * The handle between two panes. Dragging moves it; `direction` says whether moving right
 * widens the pane (1: the pane is on the left) or narrows it (-1: on the right). Arrow keys
 * move it too.
 */
export function Splitter({ label, width, onWidth, direction }: { label: string; width: number; onWidth: (w: number) => void; direction: 1 | -1 }) {
  const start = (e: PointerEvent<HTMLDivElement>) => {
    const x0 = e.clientX;
    const w0 = width;
    const el = e.currentTarget;
    el.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => onWidth(w0 + direction * (ev.clientX - x0));
    const up = () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      document.body.classList.remove('resizing');
    };
    document.body.classList.add('resizing');
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      tabIndex={0}
      onPointerDown={start}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') onWidth(width - 16 * direction);
        if (e.key === 'ArrowRight') onWidth(width + 16 * direction);
      }}
    />
  );
}
