import { exportFileName } from './download';

const NOW = new Date('2026-03-05T02:00:00Z');

describe('export file names', () => {
  it('name the file after the filters and the day, with the extension of the format', () => {
    expect(exportFileName('findings', { status: 'open', severity: 'high' }, NOW, 'csv')).toBe(
      'seed-findings-open-high-20260305.csv',
    );
    expect(exportFileName('findings', { status: 'all' }, NOW, 'ocsf')).toBe(
      'seed-findings-all-20260305.jsonl',
    );
  });

  it('keep only characters every system accepts: a comma list and a path become underscores', () => {
    expect(
      exportFileName('findings', { severity: 'high,critical', namePrefix: '../etc/passwd' }, NOW, 'csv'),
    ).toBe('seed-findings-high_critical-_etc_passwd-20260305.csv');
  });
});
