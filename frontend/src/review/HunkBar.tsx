import type { HunkApplyInfo } from '@patchpad/shared';

type Props = {
  path: string;
  hunk: number;
  total: number;
  /** How the engine placed this hunk in the current buffer (null: a whole-file change). */
  info: HunkApplyInfo | null;
  /** Why the worker's engine placed this hunk leniently (empty: exactly as written). */
  reasons: string[];
  onDecide: (decision: 'accepted' | 'rejected') => void;
};

/**
 * The controls above one pending hunk in the diff editor, with its markers: "look twice" when
 * the worker's engine placed the model's hunk leniently (the reasons on hover), and "matched
 * loosely" when placing it in the buffer as it is now needed leniency too.
 */
export function HunkBar({ path, hunk, total, info, reasons, onDecide }: Props) {
  const loose = info !== null && info.strategy !== 'exact' && info.strategy !== 'line_number';
  return (
    <div className="hunk-bar" role="group" aria-label={`Hunk ${hunk + 1} of ${total} in ${path}`}>
      <span className="muted small">
        Hunk {hunk + 1} of {total}
      </span>
      {reasons.length > 0 && (
        <span className="badge warn" data-testid="look-twice" title={`Look twice: ${reasons.join('; ')}`}>
          look twice
        </span>
      )}
      {loose && (
        <span className="badge warn" title={`The engine matched this hunk by ${info.strategy.replace(/_/g, ' ')} (fuzz ${info.fuzz}); check it fits`}>
          matched loosely
        </span>
      )}
      <button type="button" onClick={() => onDecide('accepted')} aria-label={`Accept hunk ${hunk + 1} of ${path}`}>
        Accept
      </button>
      <button type="button" className="secondary" onClick={() => onDecide('rejected')} aria-label={`Reject hunk ${hunk + 1} of ${path}`}>
        Reject
      </button>
    </div>
  );
}
