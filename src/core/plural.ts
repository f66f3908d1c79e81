/** "1 record", "2 records": a count with its noun (regular plurals only). */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
