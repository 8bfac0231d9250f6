import { describe, expect, it } from 'vitest';
import { isElisionMarker } from './elide.js';

describe('isElisionMarker', () => {
  it.each([
    '...',
    '…',
    '// ...',
    '  // ... existing code ...',
    '/* ... */',
    '{/* ... */}',
    '{/* ... existing code ... */}',
    '# ...',
    '<!-- ... -->',
    '// rest of the function unchanged',
    '// ... rest unchanged ...',
  ])('reads %j as code left out', (line) => expect(isElisionMarker(line)).toBe(true));

  it.each(['...props,', 'const a = [...items];', '{...rest}', 'return ...;', '// see the docs...', '', 'x...y'])('reads %j as code', (line) =>
    expect(isElisionMarker(line)).toBe(false),
  );
});
