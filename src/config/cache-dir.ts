/** Where campaignctl keeps what it can rebuild (the project index, the no-change record), per project. */
export const CACHE_DIR = '.campaignctl/cache';
