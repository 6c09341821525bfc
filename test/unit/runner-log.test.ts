/** The test harness reads the action's output as GitHub's runner does. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOutputFile, parseRunnerLog, summaryTables } from '../helpers/runner-log.js';

describe('parseRunnerLog', () => {
  it('turns workflow commands into annotations, groups and masks, as the job page shows them', () => {
    const log = parseRunnerLog(
      [
        'plain ghs_token',
        '::add-mask::s3cret',
        '::group::Health check',
        'probing s3cret',
        '::endgroup::',
        '::error title=berth%3A health failed%2C rolled back::line one%0Aline two',
        '::warning::careful',
        '::debug::hidden',
        'after',
      ].join('\n'),
      ['ghs_token'],
    );
    assert.deepEqual(log.lines, ['plain ***', '▸ Health check', 'probing ***', 'Error: line one\nline two', 'Warning: careful', 'after']);
    assert.deepEqual(log.annotations, [
      { level: 'error', message: 'line one\nline two', properties: { title: 'berth: health failed, rolled back' } },
      { level: 'warning', message: 'careful', properties: {} },
    ]);
    assert.deepEqual(log.groups, [{ title: 'Health check', lines: ['▸ Health check', 'probing ***'] }]);
    assert.deepEqual(log.debug, ['hidden']);
  });

  it('masks only from the line after add-mask, and ignores commands while they are stopped', () => {
    const log = parseRunnerLog(
      ['early s3cret', '::add-mask::s3cret', '::stop-commands::tok', '::error::not one', '::tok::', 'late s3cret'].join('\n'),
    );
    assert.deepEqual(log.lines, ['early s3cret', '::error::not one', 'late ***']);
    assert.deepEqual(log.annotations, []);
  });
});

describe('parseOutputFile', () => {
  it('reads heredoc values, including multi-line ones, and name=value lines', () => {
    const text = 'status<<ghadelimiter_1\nsucceeded\nghadelimiter_1\nservices<<ghadelimiter_2\n{"a":1}\nline\nghadelimiter_2\nold=x\n';
    assert.deepEqual(parseOutputFile(text), { status: 'succeeded', services: '{"a":1}\nline', old: 'x' });
  });

  it('rejects a heredoc that is never closed', () => {
    assert.throws(() => parseOutputFile('status<<EOF\nsucceeded\n'), /not closed by EOF/);
  });
});

describe('summaryTables', () => {
  it('reads each table as rows of cell texts', () => {
    const html =
      '<h2>x</h2><table><tr><th>step</th><th>result</th></tr><tr><td>health</td><td>✅ <code>ok</code> &amp; done</td></tr></table>';
    assert.deepEqual(summaryTables(html), [
      [
        ['step', 'result'],
        ['health', '✅ ok & done'],
      ],
    ]);
  });
});
