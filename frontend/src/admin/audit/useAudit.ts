import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditVerifyResult } from '@patchpad/shared';
import type { AuditFilter } from '../../api/admin';
import { useSession } from '../../app/session';
import { followAuditTail, type TailState } from '../../api/audit-tail';
import { useAdminApi } from '../context';
import { saveBlob } from '../download';
import { useCursor } from '../useCursor';
import { useLoad } from '../useLoad';
import { matchesFilter } from './filter';

const TAIL_KEEP = 200;

/** The audit log page's data: the filtered pages, the export, and the chain check. */
export function useAudit() {
  const api = useAdminApi();
  const [filter, setFilter] = useState<AuditFilter>({});
  const pages = useCursor();
  const { reset } = pages;
  const list = useLoad(() => api.audit(filter, pages.cursor), `${JSON.stringify(filter)}|${pages.cursor ?? ''}`);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const apply = useCallback(
    (next: AuditFilter) => {
      setFilter(next);
      reset();
    },
    [reset],
  );
  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExportError(null);
    try {
      const { blob, filename } = await api.exportAudit(filter, format);
      saveBlob(blob, filename ?? `patchpad-audit.${format}`);
    } catch (err) {
      setExportError(`Export failed: ${(err as Error).message}`);
    } finally {
      setExporting(null);
    }
  };
  return { filter, apply, pages, list, exportAs, exporting, exportError };
}

/** Runs `verify` on open and on demand; the result names the first bad entry. */
export function useChainCheck() {
  const api = useAdminApi();
  return useLoad<AuditVerifyResult>(() => api.verifyAudit(), 'verify');
}

/** The live tail while `on`: entries chained from now on that match the filter, newest first. */
export function useAuditTail(on: boolean, filter: AuditFilter) {
  const { api } = useSession();
  const [all, setAll] = useState<AuditEntry[]>([]);
  const [state, setState] = useState<{ state: TailState | 'off'; error?: string }>({ state: 'off' });
  useEffect(() => {
    if (!on) {
      setState({ state: 'off' });
      return;
    }
    const controller = new AbortController();
    void followAuditTail(
      api,
      (entry) => setAll((list) => [entry, ...list].slice(0, TAIL_KEEP)),
      (s, error) => setState({ state: s, ...(error ? { error } : {}) }),
      controller.signal,
    );
    return () => controller.abort();
  }, [api, on]);
  return { entries: all.filter((e) => matchesFilter(e, filter)), ...state, clear: () => setAll([]) };
}
