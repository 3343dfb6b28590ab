/** A branch's name in the three languages the API speaks. */
export interface LocalizedName {
  fi: string;
  sv: string;
  en: string;
}

export interface Address {
  street: string;
  postalCode: string;
  city: string;
}
