import type { AuditEntry, AuditOutcome, AuditVerifyResult } from '@patchpad/shared';
import type { AuditFilter } from '../../api/admin';

/** The filter form as typed: text fields, an outcome choice, and local date-times (`datetime-local`). */
export type AuditForm = { uid: string; action: string; target: string; outcome: '' | AuditOutcome; from: string; to: string };
export const EMPTY_FORM: AuditForm = { uid: '', action: '', target: '', outcome: '', from: '', to: '' };

/** Form → the API's filter; a time that does not parse is reported, never sent. */
export function filterFromForm(form: AuditForm): { ok: true; filter: AuditFilter } | { ok: false; field: 'from' | 'to'; message: string } {
  const filter: AuditFilter = {};
  for (const k of ['uid', 'action', 'target'] as const) if (form[k].trim()) filter[k] = form[k].trim();
  if (form.outcome) filter.outcome = form.outcome;
  for (const k of ['from', 'to'] as const) {
    if (!form[k]) continue;
    const ms = Date.parse(form[k]);
    if (Number.isNaN(ms)) return { ok: false, field: k, message: `${k}: not a date and time` };
    filter[k] = new Date(ms).toISOString();
  }
  if (filter.from && filter.to && filter.from > filter.to) return { ok: false, field: 'from', message: 'from: must not be after to' };
  return { ok: true, filter };
}

/** The same test the server applies, for entries arriving on the live tail. */
export function matchesFilter(e: AuditEntry, f: AuditFilter): boolean {
  if (f.uid !== undefined && e.uid !== f.uid) return false;
  if (f.action !== undefined && e.action !== f.action) return false;
  if (f.target !== undefined && e.target !== f.target) return false;
  if (f.outcome !== undefined && e.outcome !== f.outcome) return false;
  const at = Date.parse(e.at);
  if (f.from !== undefined && at < Date.parse(f.from)) return false;
  if (f.to !== undefined && at > Date.parse(f.to)) return false;
  return true;
}

/** The chain badge's words: intact with its size, or broken naming the first bad entry. */
export function describeVerify(r: AuditVerifyResult): { tone: 'ok' | 'bad'; text: string; detail: string } {
  const counts = `${r.entries.toLocaleString('en-US')} entries chained, ${r.pending} pending, ${r.checkpoints} checkpoints`;
  if (r.ok) return { tone: 'ok', text: 'Chain intact', detail: counts };
  const where = r.firstBad.id ? `entry ${r.firstBad.id}${r.firstBad.seq !== null ? ` (#${r.firstBad.seq})` : ''}` : 'the log';
  return { tone: 'bad', text: `Chain broken at ${where}`, detail: `${r.reason} · ${counts}` };
}

/** A short one-line view of an entry's details for the table. */
export function detailsText(details: Record<string, unknown> | undefined): string {
  if (!details || Object.keys(details).length === 0) return '';
  const s = JSON.stringify(details);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}
