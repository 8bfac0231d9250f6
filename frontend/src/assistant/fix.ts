import type { CreateTaskBody, ProjectFiles } from '@patchpad/shared';
import type { PreviewDiagnostic } from '../preview/PreviewPane';

function where(d: PreviewDiagnostic): string {
  if (!d.path) return '';
  return ` in ${d.path}${d.line ? ` at line ${d.line}${d.column ? `, column ${d.column}` : ''}` : ''}`;
}

/**
 * "Fix with AI": a patch task built from what the preview reported, pointing the model at
 * the first file and line involved so the prompt carries the right context.
 */
export function fixRequest(diagnostics: PreviewDiagnostic[], files: ProjectFiles): CreateTaskBody | null {
  if (diagnostics.length === 0) return null;
  const lines = diagnostics.slice(0, 5).map((d) => `- ${d.title}${where(d)}: ${d.message}`);
  const prompt = `The live preview shows ${diagnostics.length === 1 ? 'this error' : 'these errors'}:\n${lines.join('\n')}\nFix the cause in the code. Keep the change minimal.`;
  const first = diagnostics.find((d) => d.path !== null && d.path in files);
  const body: CreateTaskBody = { prompt: prompt.slice(0, 8000), mode: 'patch', files };
  if (first?.path) {
    body.activePath = first.path;
    if (first.line) body.cursor = { path: first.path, line: first.line, column: first.column ?? 1 };
  }
  return body;
}
