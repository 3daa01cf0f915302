/**
 * The region ids OSS serves in the public cloud, from Alibaba Cloud's "OSS regions and endpoints"
 * page (help.aliyun.com/en/oss/user-guide/regions-and-endpoints, read 2026-12), plus the finance
 * and government cloud regions listed there. The one list the configuration checks region ids
 * against: a typo (`cn-hangzou`) must stop the process, never read as an empty region. A region
 * newer than this list is accepted when the configuration names it in `extraRegions`.
 */
export const KNOWN_OSS_REGIONS: readonly string[] = [
  // Chinese mainland
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-wuhan-lr',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  // Asia Pacific and elsewhere
  'cn-hongkong',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'eu-central-1',
  'eu-west-1',
  'us-west-1',
  'us-east-1',
  'na-south-1',
  'me-east-1',
  'me-central-1',
  // Finance and government clouds
  'cn-hangzhou-finance',
  'cn-shanghai-finance-1',
  'cn-shenzhen-finance-1',
  'cn-beijing-finance-1',
  'cn-north-2-gov-1',
];

/** The known region id closest to `region` (fewest single-character edits), for "did you mean". */
export function nearestKnownRegion(region: string, known: readonly string[] = KNOWN_OSS_REGIONS): string {
  let best = known[0] ?? '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(region, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
