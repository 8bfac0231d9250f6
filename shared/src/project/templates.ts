import { STARTER_FILES } from './starter';

/**
 * Starter templates for a new project. The preview runs each one: it starts from
 * package.json's "main" and uses public/index.html as the page.
 */
export const TEMPLATE_IDS = ['react-ts', 'vanilla-js'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface ProjectTemplate {
  id: TemplateId;
  name: string;
  description: string;
  files: Readonly<Record<string, string>>;
}

const VANILLA_FILES: Readonly<Record<string, string>> = Object.freeze({
  'package.json': `${JSON.stringify({ name: 'patchpad-vanilla', version: '1.0.0', private: true, main: 'src/index.js', dependencies: {} }, null, 2)}\n`,
  'public/index.html': `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>Patchpad app</title>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`,
  'src/index.js': `import './styles.css';
import { renderCounter } from './counter.js';

const app = document.getElementById('app');
app.innerHTML = \`
  <h1>Hello from plain JavaScript</h1>
  <p>Edit the files on the left, or select some code and ask the assistant.</p>
  <button type="button" id="counter"></button>
\`;
renderCounter(document.getElementById('counter'));
`,
  'src/counter.js': `/** A button that counts its clicks. */
export function renderCounter(button) {
  let count = 0;
  const render = () => {
    button.textContent = \`Clicked \${count} times\`;
  };
  button.addEventListener('click', () => {
    count += 1;
    render();
  });
  render();
}
`,
  'src/styles.css': `body {
  font-family: system-ui, sans-serif;
  margin: 0;
  padding: 1.5rem;
  color: #1f2328;
  background: #ffffff;
}

button {
  font: inherit;
  padding: 0.4rem 0.9rem;
}
`,
});

export const PROJECT_TEMPLATES: Readonly<Record<TemplateId, ProjectTemplate>> = {
  'react-ts': { id: 'react-ts', name: 'React + TypeScript', description: 'A React 19 app in TypeScript with a component and styles', files: STARTER_FILES },
  'vanilla-js': { id: 'vanilla-js', name: 'Vanilla JavaScript', description: 'Plain HTML, CSS and ES modules, no framework', files: VANILLA_FILES },
};
