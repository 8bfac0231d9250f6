/**
 * A 50-file React + TypeScript project for the type-check benchmark: shared types, utility
 * modules, hooks and components that import each other, written the way small apps are.
 */

const UTILS = ['format', 'math', 'dates', 'strings', 'arrays', 'money', 'ids', 'colors', 'storage', 'validate'];

function util(name: string, i: number): string {
  return `import type { Item } from '../types';

export function ${name}Label(item: Item, prefix = '${name}'): string {
  return \`\${prefix}-\${item.id}: \${item.title.trim()}\`;
}

export function ${name}Total(items: readonly Item[]): number {
  return items.reduce((sum, item) => sum + item.price * item.quantity, ${i});
}

export const ${name}Limits = { min: ${i}, max: ${i * 10 + 10} } as const;
`;
}

function hook(i: number): string {
  return `import { useEffect, useState } from 'react';
import type { Item } from '../types';

export function useItems${i}(initial: Item[]): [Item[], (item: Item) => void] {
  const [items, setItems] = useState<Item[]>(initial);
  useEffect(() => {
    document.title = \`\${items.length} items\`;
  }, [items]);
  return [items, (item) => setItems((prev) => [...prev, item])];
}
`;
}

function component(i: number): string {
  const u = UTILS[i % UTILS.length]!;
  const other = i > 0 ? `import { Comp${i - 1} } from './Comp${i - 1}';\n` : '';
  return `import { useState } from 'react';
import type { Item } from '../types';
import { ${u}Label, ${u}Total } from '../utils/${u}';
${other}
export type Comp${i}Props = { items: Item[]; title: string; onSelect?: (item: Item) => void };

export function Comp${i}({ items, title, onSelect }: Comp${i}Props) {
  const [selected, setSelected] = useState<number | null>(null);
  const total = ${u}Total(items);
  return (
    <section className="comp-${i}">
      <h2>{title} ({total.toFixed(2)})</h2>
      <ul>
        {items.map((item) => (
          <li key={item.id} className={item.id === selected ? 'selected' : undefined} onClick={() => { setSelected(item.id); onSelect?.(item); }}>
            {${u}Label(item)}
          </li>
        ))}
      </ul>
      ${i > 0 ? `{items.length > ${i} && <Comp${i - 1} items={items.slice(1)} title="nested" />}` : ''}
    </section>
  );
}
`;
}

export function benchProject(): Record<string, string> {
  const files: Record<string, string> = {
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          jsx: 'react-jsx',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
        },
      },
      null,
      2,
    ),
    'src/types.ts': 'export interface Item {\n  id: number;\n  title: string;\n  price: number;\n  quantity: number;\n}\n',
  };
  UTILS.forEach((u, i) => (files[`src/utils/${u}.ts`] = util(u, i)));
  for (let i = 0; i < 3; i++) files[`src/hooks/useItems${i}.ts`] = hook(i);
  for (let i = 0; i < 32; i++) files[`src/components/Comp${i}.tsx`] = component(i);
  files['src/App.tsx'] = `import { useItems0 } from './hooks/useItems0';
${Array.from({ length: 8 }, (_, i) => `import { Comp${i * 4} } from './components/Comp${i * 4}';`).join('\n')}

export default function App() {
  const [items] = useItems0([{ id: 1, title: 'Tea', price: 3, quantity: 2 }]);
  return (
    <main>
${Array.from({ length: 8 }, (_, i) => `      <Comp${i * 4} items={items} title="Part ${i}" />`).join('\n')}
    </main>
  );
}
`;
  files['src/index.tsx'] =
    `import { StrictMode } from 'react';\nimport { createRoot } from 'react-dom/client';\nimport App from './App';\n\ncreateRoot(document.getElementById('root')!).render(\n  <StrictMode>\n    <App />\n  </StrictMode>,\n);\n`;
  files['src/main.css'] = 'main { padding: 1rem; }\n';
  return files;
}

/** The i-th edit a task might make: text in a component, a util's body, a new prop, a type error. */
export function benchEdit(files: Record<string, string>, i: number): Record<string, string> {
  const c = `src/components/Comp${(i * 7) % 32}.tsx`;
  const u = `src/utils/${UTILS[i % UTILS.length]}.ts`;
  switch (i % 4) {
    case 0:
      return { ...files, [c]: files[c]!.replace(/<h2>\{title\}/, `<h2>{title} #${i}`) };
    case 1:
      return { ...files, [u]: files[u]!.replace(/item\.price \* item\.quantity/, `item.price * item.quantity + ${i}`) };
    case 2:
      return { ...files, [c]: files[c]!.replace('const total =', `const note${i} = title.length;\n  const total =`) };
    default:
      return { ...files, [c]: files[c]!.replace('total.toFixed(2)', `total.toFixed('${i}')`) };
  }
}
