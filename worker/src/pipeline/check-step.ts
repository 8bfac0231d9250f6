import type { TaskRecord, TypeCheck } from '@patchpad/shared';
import type { Logger } from 'pino';
import type { TypeCheckService } from './typecheck-pool';

/**
 * The pipeline's type-check step: the patched files against the task's input. Never fails a
 * task: an internal error is logged and the check recorded as skipped, since the patch itself
 * applied and can still be reviewed.
 */
export async function checkPatch(
  checker: TypeCheckService,
  record: TaskRecord,
  patched: { files: Record<string, string | null>; renamed: Map<string, string> },
  log: Logger,
): Promise<TypeCheck> {
  const projectKey = `${record.uid}/${record.input.projectId ?? '(no project)'}`;
  try {
    const check = await checker.check({ projectKey, before: record.input.files, after: patched.files, renamed: patched.renamed });
    log.info({ check: { status: check.status, errors: check.errors.length, ms: check.ms } }, 'type-check');
    return check;
  } catch (err) {
    log.error({ err }, 'type-check failed; skipped');
    return { status: 'skipped', errors: [], reason: 'the type-check failed unexpectedly', ms: 0 };
  }
}
