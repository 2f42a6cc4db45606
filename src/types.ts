/** Full 40-hex SHA of the newest commit that changed an asset (SPEC §1). */
export type Version = string;
/** Full 40-hex SHA of the commit being deployed. */
export type Release = string;
/** Repo-relative POSIX path of a tracked file. */
export type AssetPath = string;
/** SRI string `sha256-<base64>` (SPEC §2). */
export type Integrity = string;
/** Key of an object in storage, relative to the prefix (SPEC §5). */
export type StorageKey = string;

export type PatchFormat = 'json' | 'tab' | 'delta';
export const PATCH_FORMATS: readonly PatchFormat[] = ['json', 'tab', 'delta'];
