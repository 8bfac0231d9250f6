import { STARTER_FILES } from '../../shared/src/project/starter.js';

/** The apps bench:preview edits; each has an element `#bench-target` whose text an edit changes. */

export const TARGET = 'bench-target';

export type Files = Record<string, string>;
export interface App {
  name: string;
  files: Files;
  edit(i: number): Files;
}

export const starterApp: App = (() => {
  const app = (STARTER_FILES['src/App.tsx'] as string).replace('<h1>Hello from {name}</h1>', `<h1 id="${TARGET}">TEXT</h1>`);
  const files = (text: string): Files => ({ ...STARTER_FILES, 'src/App.tsx': app.replace('TEXT', text) });
  return { name: 'starter (6 files)', files: files('Hello from {name}'), edit: (i) => files(`edit ${i}`) };
})();

export const oneModuleApp: App = (() => {
  const index = (text: string) => `import { useState } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  const [n, setN] = useState(0);
  return <main><h1 id="${TARGET}">${text}</h1><button onClick={() => setN(n + 1)}>{n}</button></main>;
}

createRoot(document.getElementById('root')!).render(<App />);
`;
  const files = (text: string): Files => ({
    'package.json': JSON.stringify({ main: 'src/index.tsx', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' } }),
    'src/index.tsx': index(text),
  });
  return { name: '1 module', files: files('start'), edit: (i) => files(`edit ${i}`) };
})();

export const manyModulesApp: App = (() => {
  const COUNT = 150;
  const LEAF = 75;
  const base: Files = {
    'package.json': JSON.stringify({ main: 'src/index.tsx', dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' } }),
    'src/index.tsx': `import { createRoot } from 'react-dom/client';\nimport App from './App';\ncreateRoot(document.getElementById('root')!).render(<App />);\n`,
    'src/App.tsx': `${Array.from({ length: COUNT }, (_, i) => `import { C${i} } from './components/C${i}';`).join('\n')}
export default function App() {
  return <main>${Array.from({ length: COUNT }, (_, i) => `<C${i} />`).join('')}</main>;
}
`,
  };
  const component = (i: number, text: string) => `type Props = { label?: string };
export function C${i}({ label = 'component ${i}' }: Props) {
  return <div className="c"${i === LEAF ? ` id="${TARGET}"` : ''}>${text}</div>;
}
`;
  for (let i = 0; i < COUNT; i++) base[`src/components/C${i}.tsx`] = component(i, '{label}');
  const files = (text: string): Files => ({ ...base, [`src/components/C${LEAF}.tsx`]: component(LEAF, text) });
  return { name: `${COUNT + 2} modules`, files: files('{label}'), edit: (i) => files(`edit ${i}`) };
})();

/** A project importing two packages the cache lacks (a CJS one with a dependency, an ESM one with a React peer). */
export const packagesApp: App = (() => {
  const files = (text: string): Files => ({
    ...STARTER_FILES,
    'package.json': JSON.stringify({
      main: 'src/index.tsx',
      dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0', 'tiny-greet': '^1.0.0', '@fixture/esm-badge': '^0.4.0' },
    }),
    'src/App.tsx': `import { greet } from 'tiny-greet';\nimport { Badge } from '@fixture/esm-badge';\nexport default function App() {\n  return <main><h1 id="${TARGET}">{greet('${text}')}</h1><Badge label="pkg" /></main>;\n}\n`,
  });
  return { name: 'packages app', files: files('bench'), edit: (i) => files(`edit ${i}`) };
})();
