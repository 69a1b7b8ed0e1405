export const FORGET_AFTER_0022: readonly string[];
export const SQLITE_TRIGGER_BEFORE_0026: readonly string[];
