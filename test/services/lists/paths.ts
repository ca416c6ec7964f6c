// Where the shared reference data lives for tests: ../shared/data beside the repository, never copied into it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
export const dataDir = join(repoRoot, '..', 'shared', 'data');
export const sanctionsDir = join(dataDir, 'sanctions');
export const SDN_FILES = ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'];
export const sdnSet = (folder: string): string[] => SDN_FILES.map((name) => join(sanctionsDir, folder, name));
