// The stores a book may be sold in, by the names readers and messages use for them. Pure.
import type {Store} from '../model.js'

/** How a book names a store to its readers ("Also in This Series"), and messages name it to the author. */
export const storeNames: Record<Store | 'web', {reader: string; author: string}> = {
  kindle: {reader: 'Kindle', author: 'Kindle (KDP)'},
  apple: {reader: 'Apple Books', author: 'Apple Books'},
  kobo: {reader: 'Kobo', author: 'Kobo'},
  web: {reader: 'the web', author: 'the web'}
}
