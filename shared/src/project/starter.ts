/**
 * The project a new user starts from: a small React + TypeScript app in the layout of
 * create-react-app / Sandpack's react-ts template. Paths are project-relative POSIX paths
 * with no leading slash; the preview adds the slash Sandpack expects.
 */
export const STARTER_PROJECT_NAME = 'My first app';

export const STARTER_FILES: Readonly<Record<string, string>> = Object.freeze({
  'package.json': `${JSON.stringify(
    {
      name: 'patchpad-starter',
      version: '1.0.0',
      private: true,
      main: 'src/index.tsx',
      dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' },
    },
    null,
    2,
  )}\n`,
  'public/index.html': `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Patchpad app</title>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`,
  'src/index.tsx': `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import App from './App';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    <App />
  </StrictMode>,
);
`,
  'src/App.tsx': `import { useState } from 'react';
import { Counter } from './Counter';

export default function App() {
  const [name] = useState('Patchpad');
  return (
    <main className="app">
      <h1>Hello from {name}</h1>
      <p>Edit the files on the left, or select some code and ask the assistant.</p>
      <Counter start={0} />
    </main>
  );
}
`,
  'src/Counter.tsx': `import { useState } from 'react';

type CounterProps = { start: number };

export function Counter({ start }: CounterProps) {
  const [count, setCount] = useState(start);
  return (
    <button type="button" onClick={() => setCount(count + 1)}>
      Clicked {count} times
    </button>
  );
}
`,
  'src/styles.css': `body {
  font-family: system-ui, sans-serif;
  margin: 0;
  padding: 1.5rem;
  color: #1f2328;
  background: #ffffff;
}

.app h1 {
  font-size: 1.6rem;
}

button {
  font: inherit;
  padding: 0.4rem 0.9rem;
}
`,
});
