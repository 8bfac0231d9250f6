import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import type { typescript as TypeScriptApi } from 'monaco-editor';
import * as typescriptContribution from 'monaco-editor/esm/vs/language/typescript/monaco.contribution.js';
import 'monaco-editor/esm/vs/language/css/monaco.contribution.js';
import 'monaco-editor/esm/vs/language/json/monaco.contribution.js';
import 'monaco-editor/esm/vs/language/html/monaco.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/markdown/markdown.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/typescript/typescript.contribution.js';
import 'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/esm/vs/language/typescript/ts.worker?worker';
import CssWorker from 'monaco-editor/esm/vs/language/css/css.worker?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker?worker';
import HtmlWorker from 'monaco-editor/esm/vs/language/html/html.worker?worker';
import { ignoreMonacoCancellations } from './cancellation';

/**
 * Monaco from our own bundle, never a CDN (@monaco-editor/react loads jsdelivr by default):
 * the IDE works offline and its CSP allows scripts from 'self' only.
 */
self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    if (label === 'typescript' || label === 'javascript') return new TsWorker();
    if (label === 'css' || label === 'scss' || label === 'less') return new CssWorker();
    if (label === 'json') return new JsonWorker();
    if (label === 'html') return new HtmlWorker();
    return new EditorWorker();
  },
};

// The contribution's own .d.ts is empty; its exports are typed on the package's main entry.
const typescript = typescriptContribution as unknown as typeof TypeScriptApi;

// The project's packages have no type files in the browser, so semantic errors would be
// noise ("Cannot find module 'react'"); syntax errors still show.
typescript.typescriptDefaults.setCompilerOptions({
  jsx: typescript.JsxEmit.ReactJSX,
  target: typescript.ScriptTarget.ESNext,
  module: typescript.ModuleKind.ESNext,
  moduleResolution: typescript.ModuleResolutionKind.NodeJs,
  allowNonTsExtensions: true,
});
typescript.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });

ignoreMonacoCancellations();
loader.config({ monaco });

export { monaco };
