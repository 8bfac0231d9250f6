import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeConsoleValue, formatArgs } from './console-encode';

describe('encodeConsoleValue', () => {
  it.each([
    ['plain string', 'hi', 'hi'],
    ['number', 42, 42],
    ['boolean', true, true],
    ['null', null, null],
    ['undefined', undefined, { '@t': '[[undefined]]' }],
    ['NaN', NaN, { '@t': '[[NaN]]' }],
    ['Infinity', Infinity, { '@t': 'Arithmetic', data: 0 }],
    ['-Infinity', -Infinity, { '@t': 'Arithmetic', data: 1 }],
    ['-0', -0, { '@t': 'Arithmetic', data: 2 }],
    ['bigint', 10n, '10n'],
    ['date', new Date(5), { '@t': '[[Date]]', data: 5 }],
    ['invalid date', new Date(NaN), { '@t': '[[Date]]', data: { '@t': '[[NaN]]' } }],
    ['regexp', /a+/gi, { '@t': '[[RegExp]]', data: { src: 'a+', flags: 'gi' } }],
    ['map', new Map([['k', 1]]), { '@t': '[[Map]]', data: ['k', 1] }],
    ['set', new Set([1, 2]), { '@t': '[[Set]]', data: [1, 2] }],
    ['nested', { a: [1, { b: undefined }] }, { a: [1, { b: { '@t': '[[undefined]]' } }] }],
  ])('%s', (_name, value, expected) => expect(encodeConsoleValue(value)).toEqual(expected));

  it('encodes functions and errors by their visible parts', () => {
    expect(encodeConsoleValue(function named() {})).toEqual({ '@t': 'Function', data: { name: 'named', body: '' } });
    const error = encodeConsoleValue(new TypeError('bad')) as { '@t': string; data: { name: string; message: string } };
    expect([error['@t'], error.data.name, error.data.message]).toEqual(['[[Error]]', 'TypeError', 'bad']);
  });

  it('survives cycles, throwing getters and huge values', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(encodeConsoleValue(cyclic)).toEqual({ name: 'x', self: '[Circular]' });
    const nasty = Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    expect(encodeConsoleValue(nasty)).toEqual({ boom: '[Thrown: no]' });
    const big = encodeConsoleValue(Array.from({ length: 1000 }, (_, i) => i)) as unknown[];
    expect(big).toHaveLength(101);
    expect(encodeConsoleValue('x'.repeat(20_000))).toHaveLength(10_001);
    const deep = encodeConsoleValue({ a: { b: { c: { d: { e: 1 } } } } });
    expect(deep).toEqual({ a: { b: { c: { d: '[Object]' } } } });
  });

  it('always produces structured-clone-safe JSON', () => {
    fc.assert(
      fc.property(fc.anything({ withDate: true, withMap: true, withSet: true, withBigInt: true, withNullPrototype: true }), (value) => {
        const encoded = encodeConsoleValue(value);
        expect(JSON.parse(JSON.stringify(encoded))).toEqual(encoded);
      }),
    );
  });
});

describe('formatArgs', () => {
  it.each([
    [['%s is %d years', 'Ann', 41.7], ['Ann is 41 years']],
    [['%c styled', 'color: red'], [' styled']],
    [['100%% done'], ['100%% done']],
    [['%o!', { a: 1 }], ['{"a":1}!']],
    [
      ['no subs', 1],
      ['no subs', 1],
    ],
    [['%s and %s', 'one'], ['one and %s']],
    [
      ['%s', 'a', 'extra'],
      ['a', 'extra'],
    ],
  ])('%j → %j', (args, expected) => expect(formatArgs(args)).toEqual(expected));
});
