interface NetworkInformation {
  effectiveType?: string;
  saveData?: boolean;
}

/** True on `slow-2g`/`2g` or with Save-Data on, where the Network Information API exists. */
export function isWeakNetwork(): boolean {
  const connection = (navigator as Navigator & { connection?: NetworkInformation }).connection;
  return !!connection && (connection.saveData === true || /2g/.test(connection.effectiveType!));
}
