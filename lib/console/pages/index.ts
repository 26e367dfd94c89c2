import type { ConsolePage } from '#lib/console/page';
import { homePage } from './home';

/** Every page of the console. */
export const consolePages: readonly ConsolePage[] = [homePage];
