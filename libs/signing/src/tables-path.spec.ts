import fc from 'fast-check';
import { tablesRequestPath, tablesSigningTarget, tablesTargetFromRequestPath } from './tables-path';

const ARN = 'acs:osstables:cn-hangzhou:1234567890:bucket/my-table-bucket';

describe('tablesTargetFromRequestPath', () => {
  it('reads the ARN from the second segment, decoded once', () => {
    expect(
      tablesTargetFromRequestPath(
        '/buckets/acs%3Aosstables%3Acn-hangzhou%3A1234567890%3Abucket%2Fmy-table-bucket/encryption',
      ),
    ).toEqual({ product: 'osstables', path: `buckets/${ARN}/encryption`, tableBucketArn: ARN });
  });

  it('has no ARN for the bucket collection', () => {
    expect(tablesTargetFromRequestPath('/buckets')).toEqual({ product: 'osstables', path: 'buckets' });
  });

  it('recovers the signing target of every path tablesRequestPath builds', () => {
    const arn = fc.option(
      fc
        .tuple(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^[a-z0-9-]{3,32}$/))
        .map(([account, name]) => `acs:osstables:cn-hangzhou:${account}:bucket/${name}`),
      { nil: undefined },
    );
    fc.assert(
      fc.property(arn, fc.string({ unit: 'grapheme' }), (tableBucketArn, suffix) => {
        expect(tablesTargetFromRequestPath(tablesRequestPath(tableBucketArn, suffix))).toEqual(
          tablesSigningTarget(tableBucketArn, suffix),
        );
      }),
    );
  });
});
