import { describe, expect, it } from 'vitest';
import { readChunk } from './openai-chunk';

describe('reading an OpenAI stream chunk', () => {
  it('takes the text delta and the usage, whatever else the chunk carries', () => {
    expect(readChunk({ id: 'x', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null }] })).toEqual({ text: 'Hi', usage: null });
    expect(readChunk({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })).toEqual({
      text: null,
      usage: { promptTokens: 3, completionTokens: 4 },
    });
    expect(readChunk({ choices: [{ delta: {} }], usage: null })).toEqual({ text: null, usage: null });
    expect(readChunk({ choices: [{ delta: { content: null } }] })).toEqual({ text: null, usage: null });
    expect(readChunk({})).toEqual({ text: null, usage: null });
  });

  it('refuses what breaks the protocol', () => {
    for (const bad of [
      null,
      'text',
      42,
      { choices: 'x' },
      { choices: [null] },
      { choices: [{ delta: { content: 5 } }] },
      { usage: { prompt_tokens: -1 } },
      { usage: { completion_tokens: 1.5 } },
    ]) {
      expect(readChunk(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
