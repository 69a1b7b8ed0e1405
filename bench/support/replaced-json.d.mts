export function oldParseJsonExact(text: string): unknown;
export function oldStoredJson(state: unknown): string;
