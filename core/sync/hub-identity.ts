// The names a regional hub signs under: the region is part of each, so no checkpoint can pass for another region's.
import { REGION_PATTERN } from './request-auth.ts';

export const hubWitnessName = (region: string): string => `perimeter-hub/${region}/witness`;
export const hubMirrorName = (region: string): string => `perimeter-hub/${region}/mirror`;
export const hubLogOrigin = (region: string): string => `perimeter-hub/${region}/log`;
export const isValidRegion = (region: string): boolean => REGION_PATTERN.test(region);
