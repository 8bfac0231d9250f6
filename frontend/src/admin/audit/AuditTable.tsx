import type { AuditEntry } from '@patchpad/shared';
import { formatTime } from '../format';
import { Badge } from '../ui';
import { detailsText } from './filter';

const TONE = { ok: 'ok', denied: 'warn', failed: 'bad' } as const;

export function AuditTable({ entries, label }: { entries: AuditEntry[]; label: string }) {
  return (
    <table className="admin-table audit-table" aria-label={label}>
      <thead>
        <tr>
          <th>Time</th>
          <th>#</th>
          <th>Action</th>
          <th>User</th>
          <th>Target</th>
          <th>Outcome</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-entry-id={e.id}>
            <td className="nowrap">{formatTime(e.at)}</td>
            <td className="muted">{e.seq ?? '…'}</td>
            <td>
              <code>{e.action}</code>
            </td>
            <td className="ellipsis">{e.uid ?? '–'}</td>
            <td className="ellipsis">{e.target ?? ''}</td>
            <td>
              <Badge tone={TONE[e.outcome]}>{e.outcome}</Badge>
            </td>
            <td className="ellipsis muted small">{detailsText(e.details)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
