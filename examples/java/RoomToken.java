import java.time.Duration;
import org.dstoken.Claims;
import org.dstoken.Dstoken;
import org.dstoken.DstokenException;
import org.dstoken.SigningKey;

/**
 * The Digital Samba docs' scenario in Java: a team, a room, user "John Smith" as moderator,
 * valid for one hour. Prints the token and the room's join URL.
 *
 * <pre>
 * java -Djava.library.path=build/stage/lib:build/java -cp build/java/dstoken.jar:build/java/room_token_java.jar \
 *      RoomToken [--user NAME] [--room ROOM] [--team TEAM] [--team-id ID] [--key KEY]
 * </pre>
 * Options fall back to DIGITALSAMBA_TEAM_ID, DIGITALSAMBA_DEVELOPER_KEY, DIGITALSAMBA_TEAM,
 * DIGITALSAMBA_ROOM, DIGITALSAMBA_USER, then to demo values.
 */
public final class RoomToken {
    private RoomToken() {}

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public static void main(String[] args) {
        String teamId = env("DIGITALSAMBA_TEAM_ID", "b1a7c2d4-1234-4cde-9f00-0a1b2c3d4e5f");
        String developerKey = env("DIGITALSAMBA_DEVELOPER_KEY", "0123456789abcdef0123456789abcdef");
        String team = env("DIGITALSAMBA_TEAM", "demo");
        String room = env("DIGITALSAMBA_ROOM", "daily-standup");
        String user = env("DIGITALSAMBA_USER", "John Smith");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--user": user = args[i + 1]; break;
                case "--room": room = args[i + 1]; break;
                case "--team": team = args[i + 1]; break;
                case "--team-id": teamId = args[i + 1]; break;
                case "--key": developerKey = args[i + 1]; break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        try (SigningKey key = SigningKey.of(developerKey);
                Claims claims = new Claims().teamId(teamId).room(room).userName(user).role("moderator")
                        .validity(Duration.ofSeconds(30), Duration.ofHours(1))) {
            String token = Dstoken.sign(claims, key);
            System.out.println(token);
            System.out.println(Dstoken.joinUrl(team, room, token));
        } catch (DstokenException e) {
            System.err.println("RoomToken: " + e.getMessage());
            System.exit(1);
        }
    }
}
