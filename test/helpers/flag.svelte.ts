/** A reactive on/off switch, for state classes whose $derived fields read a flag held elsewhere. */
export class Flag {
  on = $state(false);
}
