import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidHistoryError, parseHistory } from '../../core/release/history-file.js';

const bare = { id: 'r1', ref: 'main', commit: 'abc', state: 'succeeded', startedAt: '2026-11-27T06:00:00.000Z' };
const release = { ...bare, steps: [], images: {}, imageNames: {} };

describe('the release history file', () => {
  it('reads what berth writes, keeping fields it does not know, and an empty file as no releases', () => {
    const later = { ...release, hosts: ['a'] };
    assert.deepEqual(parseHistory(JSON.stringify({ version: 1, releases: [later] })), [later]);
    assert.deepEqual(parseHistory(' \n'), []);
  });

  it('fills the lists and maps an older file left out', () => {
    assert.deepEqual(parseHistory(JSON.stringify({ releases: [bare] })), [release]);
  });

  it('refuses what is not a history, saying where, instead of reading it as empty', () => {
    const cases: Array<[string, RegExp]> = [
      ['{"version": 1, "releases": [', /^it is not valid JSON \(/],
      ['[]', /^it is not a berth release history \(the file: expected object, received array\)$/],
      ['null', /the file: expected object, received null/],
      ['{}', /releases: expected array, received undefined/],
      ['{"releases": 5}', /releases: expected array, received number/],
      ['{"releases": [null]}', /releases\[0\]: expected object, received null/],
      [JSON.stringify({ releases: [{ id: 'x' }] }), /releases\[0\]\.ref: expected string, received undefined/],
      [
        JSON.stringify({ releases: [{ ...release, state: 'done' }] }),
        /releases\[0\]\.state: Invalid option: expected one of "pending"\|"in_progress"/,
      ],
    ];
    for (const [text, message] of cases)
      assert.throws(
        () => parseHistory(text),
        (error) => error instanceof InvalidHistoryError && message.test(error.message),
        text,
      );
  });
});
