import {
  ordersFileParser,
  withoutCarriageReturn,
  type OrdersFileOrder,
  type OrdersFileReading,
} from '../../src/kinds/panel/orders-file.js';
import { streamOrdersFile } from '../../src/kinds/panel/orders-file-reading.js';

/**
 * An orders file's text read as a sync reads the file (orders-file-reading.ts): a byte-order mark dropped, each
 * line through the parser with its number, "\r\n" ending a line as "\n" does.
 */
export function parseOrdersFile(text: string, file: string): OrdersFileReading {
  const parser = ordersFileParser(file);
  const lines = text.replace(/^\ufeff/, '').split('\n');
  const orders: OrdersFileOrder[] = [];
  lines.forEach((lineText, index) => {
    const order = parser.read(withoutCarriageReturn(lineText, index < lines.length - 1), index + 1);
    if (order !== undefined) orders.push(order);
  });
  return { orders, ...parser.end() };
}

/** An orders file on disk read whole, its batches gathered as streamOrdersFile hands them on. */
export async function readOrdersFile(path: string): Promise<OrdersFileReading> {
  const orders: OrdersFileOrder[] = [];
  const verdict = await streamOrdersFile(path, async (batch) => {
    orders.push(...batch);
  });
  return { orders, ...verdict };
}
