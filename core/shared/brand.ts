// Branded primitive types, so ids and hashes of different kinds cannot be mixed up.
declare const brand: unique symbol;

export type Brand<T, Name extends string> = T & { readonly [brand]: Name };
