import { XMLParser } from 'fast-xml-parser';

import { isWellFormedXml } from '../protocol/oss-xml';
import { billionLaughsBody, deepNestingBody, malformedBody, oversizedBody } from './hostile-bodies';

function jsonDepth(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  return 1 + Math.max(0, ...Object.values(value).map(jsonDepth));
}

describe('hostile bodies', () => {
  it.each(['GetBucketEncryption', 'ListBuckets'] as const)('cuts the OSS %s answer short', (operation) => {
    const { contentType, body } = malformedBody('oss', operation);
    expect(contentType).toBe('application/xml');
    expect(isWellFormedXml(body.toString())).toBe(false);
  });

  it.each(['GetTableBucketEncryption', 'ListTableBuckets'] as const)(
    'cuts the Tables %s answer short',
    (operation) => {
      const { contentType, body } = malformedBody('osstables', operation);
      expect(contentType).toBe('application/json');
      expect(() => JSON.parse(body.toString()) as unknown).toThrow(SyntaxError);
    },
  );

  it('pads a well-formed answer to exactly the requested size, 10 MiB by default', () => {
    expect(oversizedBody('oss').body.length).toBe(10 * 1024 * 1024);
    const json = oversizedBody('osstables', 4096);
    expect(json.body.length).toBe(4096);
    expect(JSON.parse(json.body.toString())).toMatchObject({
      encryptionConfiguration: { sseAlgorithm: 'KMS' },
    });
  });

  it('declares nested entities reaching 10^9 expansions', () => {
    const text = billionLaughsBody().body.toString();
    expect(text.match(/<!ENTITY lol\d/g)).toHaveLength(10);
    expect(text).toContain('<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">');
    expect(text).toContain('<SSEAlgorithm>&lol9;</SSEAlgorithm>');
  });

  it('leaves entities unexpanded in a hardened parser', () => {
    const parser = new XMLParser({ processEntities: false, parseTagValue: false, ignoreDeclaration: true });
    const parsed = parser.parse(billionLaughsBody().body.toString()) as {
      ServerSideEncryptionRule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: string } };
    };
    expect(parsed.ServerSideEncryptionRule.ApplyServerSideEncryptionByDefault.SSEAlgorithm).toBe('&lol9;');
  });

  it('nests 50 levels by default, in XML and JSON', () => {
    expect(
      deepNestingBody('oss')
        .body.toString()
        .match(/<Nested>/g),
    ).toHaveLength(50);
    expect(jsonDepth(JSON.parse(deepNestingBody('osstables').body.toString()))).toBe(51);
    expect(jsonDepth(JSON.parse(deepNestingBody('osstables', 3).body.toString()))).toBe(4);
  });
});
