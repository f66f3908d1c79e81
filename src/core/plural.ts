/** "1 record", "2 records": a count with its noun; `many` for an irregular plural ("copies"). */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
