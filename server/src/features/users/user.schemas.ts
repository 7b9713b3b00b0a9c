/** Request fields shared by every route that sets a user's name or tag (register, profile, bot profile). */
import { z } from "zod";

/** The characters and length a username may have. */
export const username = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-zA-Z0-9_]+$/);

/** A tag from 1 to 9999; short forms are padded by the service. */
export const discriminator = z
  .string()
  .regex(/^\d{1,4}$/)
  .refine((d) => Number(d) > 0, "Discriminator must be between 0001 and 9999");
