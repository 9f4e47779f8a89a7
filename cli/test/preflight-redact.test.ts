import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/commands/preflight.ts';

describe('a connection setting printed in a start-up failure', () => {
  it('never shows a password, in the user part or as a query parameter', () => {
    expect(redactUrl('postgres://jobcast:s3cret@db.example:5432/jobcast')).toBe(
      'postgres://jobcast:***@db.example:5432/jobcast',
    );
    const printed = redactUrl('postgres://jobcast@db.example/jobcast?password=s3cret&sslpassword=k3y&sslmode=require');
    expect(printed).not.toContain('s3cret');
    expect(printed).not.toContain('k3y');
    expect(printed).toContain('sslmode=require');
    expect(redactUrl('redis://:r3dis@127.0.0.1:6379')).not.toContain('r3dis');
  });
});
