import type { ReactNode } from 'react';
import { Component } from 'react';
import { Erreur } from './Etat.tsx';

interface Props {
  readonly children: ReactNode;
  /** Changes with the address: moving to another page clears the error. */
  readonly adresse: string;
}

/**
 * What a page that could not load shows (its chunk missing: lib/pages-differees.ts), instead of an empty window: the
 * error in French, in the page's place, the menu still there. Another address tries again.
 */
export class ErreurDePage extends Component<Props, { erreur: Error | null; adresse: string }> {
  override state: { erreur: Error | null; adresse: string } = { erreur: null, adresse: this.props.adresse };

  static getDerivedStateFromError(erreur: unknown): Partial<{ erreur: Error }> {
    return { erreur: erreur instanceof Error ? erreur : new Error(String(erreur)) };
  }

  static getDerivedStateFromProps(props: Props, state: { erreur: Error | null; adresse: string }) {
    return props.adresse === state.adresse ? null : { erreur: null, adresse: props.adresse };
  }

  override render() {
    return this.state.erreur ? <Erreur error={this.state.erreur} titre="Page indisponible" /> : this.props.children;
  }
}
