import { AppError } from '../http/errors';

/**
 * Why a package cannot be served. Every refusal is an AppError whose message the preview
 * shows as is, so it says what is wrong and what would fix it.
 */
export type PackageRefusal =
  | 'package_denied'
  | 'package_not_found'
  | 'version_not_found'
  | 'integrity_mismatch'
  | 'package_too_large'
  | 'too_many_dependencies'
  | 'registry_unavailable'
  | 'build_failed';

const STATUS: Record<PackageRefusal, number> = {
  package_denied: 403,
  package_not_found: 404,
  version_not_found: 404,
  integrity_mismatch: 502,
  package_too_large: 413,
  too_many_dependencies: 413,
  registry_unavailable: 503,
  build_failed: 422,
};

export function packageError(code: PackageRefusal, message: string, details?: unknown): AppError {
  return new AppError(STATUS[code], code, message, details);
}

export function isPackageError(error: unknown): error is AppError {
  return error instanceof AppError && error.code in STATUS;
}
